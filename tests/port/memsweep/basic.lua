-- exercises most libraries; run under the allocation-failure sweep
local t = {}
for i = 1, 50 do t[i] = ("x"):rep(i) end
local s = table.concat(t, ",")
assert(#s > 100)
local n = 0
for w in s:gmatch("x+") do n = n + 1 end
assert(n == 50)
local m = setmetatable({}, {__index = function(_, k) return k * 2 end})
assert(m[21] == 42)
local co = coroutine.wrap(function(a) return coroutine.yield(a) + 1 end)
assert(co(1) == 1 and co(2) == 3)
assert(string.format("%d:%s", 1, "a") == "1:a")
assert(select(2, pcall(error, "e", 0)) == "e")
local f = assert(load("return ... + 1"))
assert(f(1) == 2)
print(s:sub(1, 10), utf8.char(228), string.pack("i4", 7):len())
