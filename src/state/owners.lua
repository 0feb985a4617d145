#!lua flags=allow-cross-slot-keys
--[[
  Who owns each application id: the first record to carry an id owns it (SET NX GET, atomic per key).

  KEYS[1]     the routing key: the first owner key of this call. On Redis Cluster every owner key of a call
              is on KEYS[1]'s node (redis-state-store.ts groups them so); the flag lets one call touch
              several slots of that node.
  ARGV[1]     how long an owner key is kept, ms (the longest default window)
  ARGV[2..]   pairs: owner key ({prefix}a:{applicationId}), this record's source (topic/partition/offset)

  Returns, per pair, the source that owned the id before this call, or '' when this record took it.
]]
local out = {}
for i = 2, #ARGV, 2 do
  local owner = redis.call('SET', ARGV[i], ARGV[i + 1], 'NX', 'PX', ARGV[1], 'GET')
  out[#out + 1] = owner or ''
end
return out
