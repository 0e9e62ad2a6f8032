// The store's one Lua script. Redis runs a script atomically: no other command runs between
// its reading of the log and its writing of the new slot, so callers on any number of
// connections, processes and machines get slots that together keep the limit. Every time is
// Redis's own (TIME), in integer milliseconds, so clients' clocks never enter a decision.
//
// KEYS[1]  the log: a list of start times, oldest first (the slots handed out)
// KEYS[2]  the pause: the time before which no slot starts (the server answered 429)
// ARGV[1]  "reserve" (ARGV[2..4]: limit, intervalMs, maxWaitMs or -1 for no bound),
//          "release" (ARGV[2]: the slot) or "pause" (ARGV[2]: ms)
// Returns  for "reserve": { wait, slot }, slot -1 when nothing was reserved; else 0.
export const SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local op = ARGV[1]
if op == 'pause' then
  local ms = math.ceil(tonumber(ARGV[2]))
  local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
  if ms > 0 and now + ms > paused then
    redis.call('SET', KEYS[2], string.format('%.0f', now + ms), 'PX', ms)
  end
  return 0
end
if op == 'release' then
  redis.call('LREM', KEYS[1], -1, ARGV[2])
  return 0
end
local limit = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local maxWait = tonumber(ARGV[4])
-- Forget the starts whose window has ended: no slot from now on shares a window with them.
while true do
  local first = redis.call('LINDEX', KEYS[1], 0)
  if not first or tonumber(first) > now - interval then
    break
  end
  redis.call('LPOP', KEYS[1])
end
-- Not before now, nor the last slot (first come, first served), nor the end of a pause, nor
-- the end of the window of the slot \`limit\` places back.
local slot = now
local count = redis.call('LLEN', KEYS[1])
if count > 0 then
  slot = math.max(slot, tonumber(redis.call('LINDEX', KEYS[1], -1)))
end
if count >= limit then
  slot = math.max(slot, tonumber(redis.call('LINDEX', KEYS[1], -limit)) + interval)
end
slot = math.max(slot, tonumber(redis.call('GET', KEYS[2]) or '0'))
local wait = slot - now
if maxWait >= 0 and wait > maxWait then
  return { wait, -1 }
end
redis.call('RPUSH', KEYS[1], string.format('%.0f', slot))
-- The log matters until the window of its last slot has ended.
redis.call('PEXPIRE', KEYS[1], wait + interval)
return { wait, slot }
`;
