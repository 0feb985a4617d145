--[[
  The state updates of one application for the keys it has in one hash slot, atomically: sliding-window
  counters and the last-sighting swap for impossible travel. On one Redis every key of an application is in
  one call; on Redis Cluster each entity's keys share a slot (a hash tag on the entity), so an application
  makes one call per slot it touches. Whether the application is new (its owner key) is settled before,
  in a round of its own (redis-state-store.ts).

  KEYS[1..n]        window sets ({prefix}v:{spec}:{entity}); member -> event time ms
  KEYS[n+1..]       sighting hashes ({prefix}s:{kind}:{entity}); cur/prev sightings as JSON
  ARGV[1]           n, the number of window keys
  ARGV[2]           t, the application's event time ms
  ARGV[3]           L, the number of window lists
  ARGV[4..]         the L lists, each as its length W then its W window lengths ms; then, from p:
  ARGV[p..p+n-1]    the member to add to each window key (application id, or a pseudonym for
                    distinct counts)
  ARGV[p+n..p+2n-1] per window key, a bit mask of its windows to count (bit i-1 = window i);
                    the rules in force only read some windows, and counting is most of the work
  ARGV[p+2n..p+3n-1]  per window key, the index (1..L) of its window list; the longest window of
                    the list is the key's retention (members older than it, seen from t, are
                    trimmed, and the key expires after it)
  ARGV[p+3n]        application id
  ARGV[p+3n+1]      this sighting as JSON {"app","at","lat","lon","acc"} ('' when no location)
  ARGV[p+3n+2]      sighting TTL ms

  Returns a flat array: per window key, one count per window of its list (members with time in
  (t - window, t], or -1 for a window not asked for), then one string per sighting key: the
  sighting to compare with, or '' for none.

  Trimming is memory hygiene only (a count never includes members older than its window), so it is
  done for one application in eight (by event time), not on every call: a hot key sheds its old
  members a few calls later, an idle one expires whole.

  Idempotent, so a retried batch counts nothing twice: ZADD GT never lowers a member's time and
  re-adding a member at the same time changes nothing (so a 30-day counter stays exact when the same
  application comes back after its owner key, kept 7 days, has expired); a replayed application that
  is a key's newest sighting gets that key's previous one again. An older, out-of-order sighting is
  compared with the newest and does not replace it.
]]
local n = tonumber(ARGV[1])
local t = tonumber(ARGV[2])
local lists, retention = {}, {}
local p = 4
for l = 1, tonumber(ARGV[3]) do
  local w = tonumber(ARGV[p])
  local list, longest = {}, 0
  for i = 1, w do
    list[i] = tonumber(ARGV[p + i])
    if list[i] > longest then longest = list[i] end
  end
  lists[l], retention[l] = list, longest
  p = p + w + 1
end
local out = {}
local trim = math.floor(t / 1000) % 8 == 0

for k = 1, n do
  local key = KEYS[k]
  local l = tonumber(ARGV[p + 2 * n + k - 1])
  local list, keep = lists[l], retention[l]
  redis.call('ZADD', key, 'GT', t, ARGV[p + k - 1])
  if trim then
    -- Relative to this event: an out-of-order (older) event trims less, never too much.
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (t - keep))
  end
  redis.call('PEXPIRE', key, keep)
  local mask = tonumber(ARGV[p + n + k - 1])
  for i = 1, #list do
    if math.floor(mask / 2 ^ (i - 1)) % 2 == 1 then
      out[#out + 1] = redis.call('ZCOUNT', key, '(' .. (t - list[i]), t)
    else
      out[#out + 1] = -1
    end
  end
end

local app = ARGV[p + 3 * n]
local sighting = ARGV[p + 3 * n + 1]
local ttl = ARGV[p + 3 * n + 2]
for k = n + 1, #KEYS do
  local key = KEYS[k]
  local answer = ''
  local cur = redis.call('HGET', key, 'cur')
  if not cur then
    redis.call('HSET', key, 'cur', sighting)
    redis.call('PEXPIRE', key, ttl)
  else
    local c = cjson.decode(cur)
    if c.app == app then
      answer = redis.call('HGET', key, 'prev') or ''
    elseif tonumber(c.at) > t then
      answer = cur
    else
      redis.call('HSET', key, 'prev', cur, 'cur', sighting)
      redis.call('PEXPIRE', key, ttl)
      answer = cur
    end
  end
  out[#out + 1] = answer
end
return out
