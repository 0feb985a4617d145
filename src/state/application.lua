--[[
  All state updates of one application, atomically, in one call: sliding-window counters and the
  last-sighting swap for impossible travel.

  KEYS[1..n]        window sets ({prefix}v:{spec}:{entity}); member -> event time ms
  KEYS[n+1..n+m]    sighting hashes ({prefix}s:{kind}:{entity}); cur/prev sightings as JSON
  KEYS[n+m+1]       the application's owner key ({prefix}a:{applicationId})
  ARGV[1]           n, the number of window keys
  ARGV[2]           t, the application's event time ms
  ARGV[3]           how long the owner key is kept ms (the longest default window)
  ARGV[4]           L, the number of window lists
  ARGV[5..]         the L lists, each as its length W then its W window lengths ms; then, from p:
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
  ARGV[p+3n+3]      this record's source (topic/partition/offset)

  Returns a flat array. First the source of the record that owns the application id if that is
  not this record (a duplicate: nothing else is done or returned), else ''. Then, per window key,
  one count per window of its list (members with time in (t - window, t], or -1 for a window not
  asked for), then one string per sighting key: the sighting to compare with, or '' for none.

  Trimming is memory hygiene only (a count never includes members older than its window), so it is
  done for one application in eight (by event time), not on every call: a hot key sheds its old
  members a few calls later, an idle one expires whole.

  Idempotent: ZADD GT never lowers a member's time and re-adding a member at the same time
  changes nothing (so a 30-day counter stays exact when the same application comes back after its
  owner key, kept 7 days, has expired); a replayed application that is a key's newest sighting gets that key's
  previous one again. An older, out-of-order sighting is compared with the newest and does not
  replace it.
]]
local n = tonumber(ARGV[1])
local t = tonumber(ARGV[2])
local lists, retention = {}, {}
local p = 5
for l = 1, tonumber(ARGV[4]) do
  local w = tonumber(ARGV[p])
  local list, longest = {}, 0
  for i = 1, w do
    list[i] = tonumber(ARGV[p + i])
    if list[i] > longest then longest = list[i] end
  end
  lists[l], retention[l] = list, longest
  p = p + w + 1
end
local source = ARGV[p + 3 * n + 3]
-- The first record to carry an application id owns it for ARGV[3]; SET NX GET is atomic.
local owner = redis.call('SET', KEYS[#KEYS], source, 'NX', 'PX', ARGV[3], 'GET')
if owner and owner ~= source then
  return { owner }
end
local out = { '' }
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
for k = n + 1, #KEYS - 1 do
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
