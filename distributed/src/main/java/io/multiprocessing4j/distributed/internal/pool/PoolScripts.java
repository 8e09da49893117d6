package io.multiprocessing4j.distributed.internal.pool;

/**
 * The server side of a distributed pool: Lua scripts, each run atomically. Every script
 * takes the pool's key prefix ({@code mp4j:pool:<name>:}) as {@code ARGV[1]} and builds its
 * keys from it:
 * <pre>
 * tasks            list of task messages: clients LPUSH, workers take from the right
 * workers          hash worker id -> "host|pid"
 * alive:W          worker W's liveness key (expires after its lease)
 * proc:W           the task worker W is running (at most one element)
 * client:C         client C's liveness key
 * res:C            list of result messages for client C
 * cancel:C         set of C's job ids whose queued tasks are dropped
 * </pre>
 * Invariants: a task is in exactly one of {@code tasks}, one {@code proc:W}, or (as its
 * result) one {@code res:C} or dropped because its client is gone or its job cancelled. A
 * worker's result is accepted only while its task is still in its {@code proc:W}: once the
 * reaper took it (the worker was late renewing), a late result is dropped, so a task is never
 * answered twice. Nothing is removed by a call whose reply may be lost (a blocking call that
 * the client gave up on and that the connection replays, a script retried after a timeout):
 * workers move tasks into their own list and clients read results before removing them, so a
 * replayed or repeated call leaves work behind, never drops it.
 */
final class PoolScripts {
    private PoolScripts() {}

    /**
     * The task worker W is to run: the oldest in {@code proc:W} (its tail), after dropping the
     * stale ones (client gone, job cancelled); nil when none. More than one is there only when a
     * blocking move was replayed after the worker stopped waiting for it: then it is run next
     * rather than lost.
     */
    private static final String VET = """
            local function vet(p, proc)
              while true do
                local t = redis.call('LINDEX', proc, -1)
                if not t then return nil end
                local cid, job = string.match(t, '^([^|]*)|([^|]*)|')
                if redis.call('EXISTS', p .. 'client:' .. cid) == 1 and redis.call('SISMEMBER', p .. 'cancel:' .. cid, job) == 0 then
                  return t
                end
                redis.call('RPOP', proc)
              end
            end
            """;

    /** The task to run: one held already, else the next live one moved from the queue into {@code proc:W}; {task} or {}. */
    private static final String TAKE = """
            local function take(p, proc)
              local t = vet(p, proc)
              if t then return {t} end
              for i = 1, 1000 do
                if not redis.call('RPOPLPUSH', p .. 'tasks', proc) then return {} end
                t = vet(p, proc)
                if t then return {t} end
              end
              return {}
            end
            """;

    /** Worker W (ARGV[2]) asks for a task without waiting: {task} or {}. */
    static final String TAKE_NOW = VET + TAKE + "return take(ARGV[1], ARGV[1] .. 'proc:' .. ARGV[2])";

    /**
     * Worker W (ARGV[2]) finished the task of client C (ARGV[3]) whose header starts with
     * ARGV[5], with result ARGV[4]: delivers it if W still holds that task (the reaper may have
     * taken it) and C is alive, then takes the next task as {@link #TAKE_NOW}. Run twice (a
     * retried call), the second run finds the task gone and delivers nothing.
     */
    static final String FINISH = VET + TAKE + """
            local p, proc = ARGV[1], ARGV[1] .. 'proc:' .. ARGV[2]
            local t = redis.call('LINDEX', proc, -1)
            if t and string.sub(t, 1, #ARGV[5]) == ARGV[5] then
              redis.call('RPOP', proc)
              if redis.call('EXISTS', p .. 'client:' .. ARGV[3]) == 1 then redis.call('RPUSH', p .. 'res:' .. ARGV[3], ARGV[4]) end
            end
            return take(p, proc)
            """;

    /** Worker W (ARGV[2]) is alive for ARGV[3] ms more, and is "host|pid" (ARGV[4]). */
    static final String WORKER_RENEW = """
            redis.call('SET', ARGV[1] .. 'alive:' .. ARGV[2], '1', 'PX', ARGV[3])
            redis.call('HSET', ARGV[1] .. 'workers', ARGV[2], ARGV[4])
            return {1}
            """;

    /** Worker W (ARGV[2]) leaves: the task it holds goes back to the head of the queue, unchanged. */
    static final String WORKER_LEAVE = """
            local p, w = ARGV[1], ARGV[2]
            local proc = p .. 'proc:' .. w
            for _, t in ipairs(redis.call('LRANGE', proc, 0, -1)) do redis.call('RPUSH', p .. 'tasks', t) end
            redis.call('DEL', proc, p .. 'alive:' .. w)
            redis.call('HDEL', p .. 'workers', w)
            return {1}
            """;

    /**
     * Fails or requeues the tasks of every worker whose liveness key expired, forgets those
     * workers, and returns {live workers}. A task with retries left goes back to the head of
     * the queue with one retry fewer; else its client, if alive, gets a LOST result.
     */
    static final String REAP = """
            local p = ARGV[1]
            local live = 0
            local ws = redis.call('HGETALL', p .. 'workers')
            for i = 1, #ws, 2 do
              local w, info = ws[i], ws[i + 1]
              if redis.call('EXISTS', p .. 'alive:' .. w) == 1 then
                live = live + 1
              else
                local proc = p .. 'proc:' .. w
                for _, t in ipairs(redis.call('LRANGE', proc, 0, -1)) do
                  local cid, job, seq, r, rest = string.match(t, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|()')
                  local n = tonumber(r)
                  if n > 0 then
                    redis.call('RPUSH', p .. 'tasks', cid .. '|' .. job .. '|' .. seq .. '|' .. (n - 1) .. '|' .. string.sub(t, rest))
                  elseif redis.call('EXISTS', p .. 'client:' .. cid) == 1 then
                    redis.call('RPUSH', p .. 'res:' .. cid, job .. '|' .. seq .. '|L|' .. info .. '|' .. w)
                  end
                end
                redis.call('DEL', proc)
                redis.call('HDEL', p .. 'workers', w)
              end
            end
            return {live}
            """;

    /**
     * Client C (ARGV[2]) is alive for ARGV[3] ms more; its result list and cancel set live
     * three leases past its last renewal. The key holds the client's incarnation: when the key
     * had expired or the server lost it, it is made again with ARGV[4], a new one. Returns
     * {incarnation}: a new one tells the client that its tasks queued before may be gone.
     */
    static final String CLIENT_RENEW = """
            local p, c = ARGV[1], ARGV[2]
            local inc = redis.call('GET', p .. 'client:' .. c) or ARGV[4]
            redis.call('SET', p .. 'client:' .. c, inc, 'PX', ARGV[3])
            redis.call('PEXPIRE', p .. 'res:' .. c, 3 * tonumber(ARGV[3]))
            redis.call('PEXPIRE', p .. 'cancel:' .. c, 3 * tonumber(ARGV[3]))
            return {inc}
            """;

    /** Client C's (ARGV[2]) first ARGV[3] results, left in place until {@link #CLIENT_ACK}. */
    static final String CLIENT_PEEK = "return redis.call('LRANGE', ARGV[1] .. 'res:' .. ARGV[2], 0, tonumber(ARGV[3]) - 1)";

    /**
     * Client C (ARGV[2]) has handled its first ARGV[3] results, the first starting with ARGV[4]:
     * they go, unless they went already (a retried call), so none is dropped unhandled.
     */
    static final String CLIENT_ACK = """
            local res = ARGV[1] .. 'res:' .. ARGV[2]
            local t = redis.call('LINDEX', res, 0)
            if t and string.sub(t, 1, #ARGV[4]) == ARGV[4] then redis.call('LTRIM', res, tonumber(ARGV[3]), -1) end
            return {1}
            """;

    /** Client C (ARGV[2]) leaves: its keys go; workers drop its queued tasks and results. */
    static final String CLIENT_LEAVE = """
            redis.call('DEL', ARGV[1] .. 'client:' .. ARGV[2], ARGV[1] .. 'res:' .. ARGV[2], ARGV[1] .. 'cancel:' .. ARGV[2])
            return {1}
            """;

    /**
     * Queues tasks ARGV[2..#ARGV-1] in their order (the first is taken first) if client C
     * (ARGV[#ARGV]) is alive: {its incarnation}, or {} (nothing queued) when its key is gone.
     */
    static final String SUBMIT = """
            local p, c = ARGV[1], ARGV[#ARGV]
            local inc = redis.call('GET', p .. 'client:' .. c)
            if not inc then return {} end
            for i = 2, #ARGV - 1 do redis.call('LPUSH', p .. 'tasks', ARGV[i]) end
            return {inc}
            """;

    /** Client C (ARGV[2]) cancels job ARGV[3]: its queued tasks are dropped when a worker meets them. */
    static final String CANCEL = """
            redis.call('SADD', ARGV[1] .. 'cancel:' .. ARGV[2], ARGV[3])
            redis.call('PEXPIRE', ARGV[1] .. 'cancel:' .. ARGV[2], ARGV[4])
            return {1}
            """;
}
