--[[
  Last-sighting swap for impossible travel, atomically.

  KEYS[1]  {prefix}s:{kind}:{entity}  hash: cur = newest sighting, prev = the one before it (JSON)
  ARGV[1]  application id of this sighting
  ARGV[2]  event time ms
  ARGV[3]  this sighting as JSON {"app","at","lat","lon","acc"}
  ARGV[4]  TTL ms (refreshed on every newer sighting)

  Returns the sighting to compare with (JSON), or false for the first one.
  Idempotent: a replay of the application that is `cur` gets `prev` again, as the first time.
  An out-of-order (older) sighting is compared with the newest one and does not replace it.
]]
local key = KEYS[1]
local cur = redis.call('HGET', key, 'cur')
if not cur then
  redis.call('HSET', key, 'cur', ARGV[3])
  redis.call('PEXPIRE', key, ARGV[4])
  return false
end
local c = cjson.decode(cur)
if c.app == ARGV[1] then
  return redis.call('HGET', key, 'prev')
end
if tonumber(c.at) > tonumber(ARGV[2]) then
  return cur
end
redis.call('HSET', key, 'prev', cur, 'cur', ARGV[3])
redis.call('PEXPIRE', key, ARGV[4])
return cur
