--[[
  Sliding-window observe: add one member to a sorted set and count it over several windows, atomically.

  KEYS[1]  the window set ({prefix}v:{spec}:{entity}); member -> event time in ms
  ARGV[1]  member (application id, or a pseudonym for distinct counts)
  ARGV[2]  event time of this observation, ms since epoch
  ARGV[3]  retention ms (the longest window); older members are trimmed and the key expires after it
  ARGV[4..] window lengths in ms

  Returns: one integer per window: members with score in (t - window, t].

  Idempotent: ZADD GT never lowers a member's time, and re-adding the same member at the same time
  changes nothing, so replaying an application does not count it twice.
]]
local key = KEYS[1]
local t = tonumber(ARGV[2])
local retention = tonumber(ARGV[3])

redis.call('ZADD', key, 'GT', t, ARGV[1])

local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
local horizon = t
if newest[2] and tonumber(newest[2]) > horizon then horizon = tonumber(newest[2]) end
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (horizon - retention))
redis.call('PEXPIRE', key, retention)

local counts = {}
for i = 4, #ARGV do
  counts[#counts + 1] = redis.call('ZCOUNT', key, '(' .. (t - tonumber(ARGV[i])), t)
end
return counts
