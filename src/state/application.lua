--[[
  All state updates of one application, atomically, in one call: sliding-window counters and the
  last-sighting swap for impossible travel.

  KEYS[1..n]        window sets ({prefix}v:{spec}:{entity}); member -> event time ms
  KEYS[n+1..n+m]    sighting hashes ({prefix}s:{kind}:{entity}); cur/prev sightings as JSON
  KEYS[n+m+1]       the application's owner key ({prefix}a:{applicationId})
  ARGV[1]           n, the number of window keys
  ARGV[2]           t, the application's event time ms
  ARGV[3]           W, the number of windows
  ARGV[4..3+W]      window lengths ms (the longest is the retention: members older than it, seen
                    from t, are trimmed, and the key expires after it)
  ARGV[4+W..3+W+n]  the member to add to each window key (application id, or a pseudonym for
                    distinct counts)
  ARGV[4+W+n..3+W+2n]  per window key, a bit mask of the windows to count (bit i-1 = window i);
                    the rules in force only read some windows, and counting is most of the work
  ARGV[4+W+2n]      application id
  ARGV[5+W+2n]      this sighting as JSON {"app","at","lat","lon","acc"} ('' when no location)
  ARGV[6+W+2n]      sighting TTL ms
  ARGV[7+W+2n]      this record's source (topic/partition/offset)

  Returns a flat array. First the source of the record that owns the application id if that is
  not this record (a duplicate: nothing else is done or returned), else ''. Then W counts per
  window key (members with time in (t - window, t], or -1 for a window not asked for), then one
  string per sighting key: the sighting to compare with, or '' for none.

  Trimming is memory hygiene only (a count never includes members older than its window), so it is
  done for one application in eight (by event time), not on every call: a hot key sheds its old
  members a few calls later, an idle one expires whole.

  Idempotent: ZADD GT never lowers a member's time and re-adding a member at the same time
  changes nothing; a replayed application that is a key's newest sighting gets that key's
  previous one again. An older, out-of-order sighting is compared with the newest and does not
  replace it.
]]
local n = tonumber(ARGV[1])
local t = tonumber(ARGV[2])
local w = tonumber(ARGV[3])
local retention = 0
for i = 1, w do
  local len = tonumber(ARGV[3 + i])
  if len > retention then retention = len end
end
local source = ARGV[7 + w + 2 * n]
-- The first record to carry an application id owns it for the retention; SET NX GET is atomic.
local owner = redis.call('SET', KEYS[#KEYS], source, 'NX', 'PX', retention, 'GET')
if owner and owner ~= source then
  return { owner }
end
local out = { '' }
local trim = math.floor(t / 1000) % 8 == 0

for k = 1, n do
  local key = KEYS[k]
  redis.call('ZADD', key, 'GT', t, ARGV[3 + w + k])
  if trim then
    -- Relative to this event: an out-of-order (older) event trims less, never too much.
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (t - retention))
  end
  redis.call('PEXPIRE', key, retention)
  local mask = tonumber(ARGV[3 + w + n + k])
  for i = 1, w do
    if math.floor(mask / 2 ^ (i - 1)) % 2 == 1 then
      out[#out + 1] = redis.call('ZCOUNT', key, '(' .. (t - tonumber(ARGV[3 + i])), t)
    else
      out[#out + 1] = -1
    end
  end
end

local app = ARGV[4 + w + 2 * n]
local sighting = ARGV[5 + w + 2 * n]
local ttl = ARGV[6 + w + 2 * n]
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
