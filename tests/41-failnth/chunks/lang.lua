-- tables, strings, closures, coroutines, metatables, errors and pcall
local function nomem(ok, e)	-- an allocation failure must propagate
	if not ok and type(e) == "string" and e:find("not enough memory") then
		error(e, 0)
	end
	return ok, e
end
local t = {}
for i = 1, 40 do t[i] = {i, tostring(i) .. "x", function() return i end} end
local big = {}
for i = 1, 700 do big[i] = i end		-- > 4 KiB: kvmalloc'd array
local s = string.rep("ab", 2500) .. table.concat({"a", "b", "c"}, ",")
assert(#s == 5005)
local g = s:gsub("a", "%%"):upper()
assert(#g == 5005)
local co = coroutine.wrap(function(a)
	local b = coroutine.yield(a + 1)
	return b * 2
end)
assert(co(1) == 2 and co(5) == 10)
local co2 = coroutine.create(function() error({code = 7}) end)
local ok, e = nomem(coroutine.resume(co2))
assert(not ok and e.code == 7)
ok, e = nomem(pcall(error, {code = 1}))
assert(not ok and e.code == 1)
ok, e = nomem(pcall(function() local x; return x.y end))
assert(not ok and e:find("nil value"))
ok, e = nomem(pcall(string.rep, "x", -1))
setmetatable(t, {__index = function(_, k) return k .. "!" end,
		 __close = function() end})
assert(t.foo == "foo!")
do local c <close> = t end
local mt = setmetatable({}, {__gc = function() end, __mode = "k"})
for i = 1, 20 do mt[{}] = i end
collectgarbage()
assert(string.format("%d:%s:%5.5s", #t, "z", "abcdefg") == "40:z:abcde")
print("failnth-done")
