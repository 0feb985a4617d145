#!lua flags=allow-cross-slot-keys
--[[
  The state updates of many applications in one call: sliding-window counters and the last-sighting swap
  for impossible travel. Whether each application is new (its owner key) is settled before, by owners.lua.

  KEYS[1]     the routing key: the first key of the first section. On Redis Cluster every key of a call is
              on KEYS[1]'s node (redis-state-store.ts groups them so); the flag lets one call touch several
              slots of that node. On one Redis, one call carries whole applications.
  ARGV[1]     L, the number of window lists; then the L lists, each as its length W then its W window
              lengths ms; then the sighting TTL ms; then how long an owner key is kept, ms; then sections,
              one per application (and node):
                n, m          the number of window keys and of sighting keys
                t             the application's event time ms
                app           the application id
                sighting      this sighting as JSON {"app","at","lat","lon","acc"} ('' when no location)
                owner         the owner key ({prefix}a:{applicationId}), or '' when owners.lua settled it before
                              (on a cluster); on one Redis the duplicate check and the counting are one call
                source        this record's source (topic/partition/offset), with the owner key
                n window keys ({prefix}v:{spec}:{entity}; member -> event time ms)
                n members     (application id, or a pseudonym for distinct counts)
                n masks       per window key, a bit mask of its windows to count (bit i-1 = window i);
                              the rules in force only read some windows, and counting is most of the work
                n list index  per window key, its window list (1..L); the list's longest window is the key's
                              retention (older members, seen from t, are trimmed; the key expires after it)
                m sighting keys ({prefix}s:{kind}:{entity}; cur/prev sightings as JSON)

  Returns one array per section: first the source that owned the application id before ('' when this
  record took it, or when there is no owner key); for a duplicate (another source) nothing else, as nothing
  is counted. Then per window key, one count per window of its list (members with time in (t - window, t],
  or -1 for a window not asked for), then per sighting key the sighting to compare with, or '' for none.

  Trimming is memory hygiene only (a count never includes members older than its window), so it is done
  for one application in eight (by event time), not on every call: a hot key sheds its old members a few
  calls later, an idle one expires whole.

  Idempotent, so a retried batch counts nothing twice, even one that failed half-way (a slot that moved
  mid-call): ZADD GT never lowers a member's time and re-adding a member at the same time changes nothing
  (so a 30-day counter stays exact when the same application comes back after its owner key, kept 7
  days, has expired); a replayed application that is a key's newest sighting gets that key's previous
  one again. An older, out-of-order sighting is compared with the newest and does not replace it.
]]
local lists, retention, keepArg = {}, {}, {}
local p = 2
for l = 1, tonumber(ARGV[1]) do
  local w = tonumber(ARGV[p])
  local list, longest = {}, 0
  for i = 1, w do
    list[i] = tonumber(ARGV[p + i])
    if list[i] > longest then longest = list[i] end
  end
  lists[l], retention[l], keepArg[l] = list, longest, tostring(longest)
  p = p + w + 1
end
local ttl, ownerMs = ARGV[p], ARGV[p + 1]
p = p + 2
local expiring = {}

-- Numbers are turned into strings once per application and window list, not per key: Redis takes every
-- argument as a string, and Lua's number formatting is a large part of a script's own time (not its commands').
local function windows(out, n, t, tArg, base)
  local trim = math.floor(t / 1000) % 8 == 0
  local lower, trimBelow = {}, {}
  for k = 1, n do
    local key = ARGV[base + k - 1]
    local l = tonumber(ARGV[base + 3 * n + k - 1])
    local list = lists[l]
    redis.call('ZADD', key, 'GT', tArg, ARGV[base + n + k - 1])
    if trim then
      -- Relative to this event: an out-of-order (older) event trims less, never too much.
      trimBelow[l] = trimBelow[l] or ('(' .. (t - retention[l]))
      redis.call('ZREMRANGEBYSCORE', key, '-inf', trimBelow[l])
    end
    -- One PEXPIRE per key per call: Redis freezes the clock during a script (7.0), so a second one would
    -- set the same expiry, and a hot key (a partner, a shared IP) is touched by many applications of a call.
    if not expiring[key] then
      redis.call('PEXPIRE', key, keepArg[l])
      expiring[key] = true
    end
    local from = lower[l]
    if not from then
      from = {}
      for i = 1, #list do from[i] = '(' .. (t - list[i]) end
      lower[l] = from
    end
    local mask = tonumber(ARGV[base + 2 * n + k - 1])
    for i = 1, #list do
      local bit = mask % 2
      mask = (mask - bit) / 2
      if bit == 1 then
        out[#out + 1] = redis.call('ZCOUNT', key, from[i], tArg)
      else
        out[#out + 1] = -1
      end
    end
  end
end

local function sightings(out, m, t, app, sighting, base)
  for k = 0, m - 1 do
    local key = ARGV[base + k]
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
end

local results = {}
while p <= #ARGV do
  local n, m, tArg = tonumber(ARGV[p]), tonumber(ARGV[p + 1]), ARGV[p + 2]
  local t = tonumber(tArg)
  local app, sighting, owner, source = ARGV[p + 3], ARGV[p + 4], ARGV[p + 5], ARGV[p + 6]
  local prior = ''
  if owner ~= '' then prior = redis.call('SET', owner, source, 'NX', 'PX', ownerMs, 'GET') or '' end
  local out = { prior }
  if prior == '' or prior == source then
    windows(out, n, t, tArg, p + 7)
    sightings(out, m, t, app, sighting, p + 7 + 4 * n)
  end
  results[#results + 1] = out
  p = p + 7 + 4 * n + m
end
return results
