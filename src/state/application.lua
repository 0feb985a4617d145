--[[
  All state updates of one application, atomically, in one call: sliding-window counters and the
  last-sighting swap for impossible travel.

  KEYS[1..n]        window sets ({prefix}v:{spec}:{entity}); member -> event time ms
  KEYS[n+1..n+m]    sighting hashes ({prefix}s:{kind}:{entity}); cur/prev sightings as JSON
  ARGV[1]           n, the number of window keys
  ARGV[2]           t, the application's event time ms
  ARGV[3]           W, the number of windows
  ARGV[4..3+W]      window lengths ms (the longest is the retention: older members are trimmed
                    and the key expires after it)
  ARGV[4+W..3+W+n]  the member to add to each window key (application id, or a pseudonym for
                    distinct counts)
  ARGV[4+W+n]       application id
  ARGV[5+W+n]       this sighting as JSON {"app","at","lat","lon","acc"} ('' when no location)
  ARGV[6+W+n]       sighting TTL ms

  Returns a flat array: W counts per window key (members with time in (t - window, t]), then one
  string per sighting key: the sighting to compare with, or '' for none.

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
local out = {}

for k = 1, n do
  local key = KEYS[k]
  redis.call('ZADD', key, 'GT', t, ARGV[3 + w + k])
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  local horizon = t
  if newest[2] and tonumber(newest[2]) > horizon then horizon = tonumber(newest[2]) end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (horizon - retention))
  redis.call('PEXPIRE', key, retention)
  for i = 1, w do
    out[#out + 1] = redis.call('ZCOUNT', key, '(' .. (t - tonumber(ARGV[3 + i])), t)
  end
end

local app = ARGV[4 + w + n]
local sighting = ARGV[5 + w + n]
local ttl = ARGV[6 + w + n]
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
