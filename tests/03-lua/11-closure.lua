-- Closures, upvalues, varargs, multiple results.
local T = require "ktap"

T.test("counter", function()
	local function counter()
		local n = 0
		return function() n = n + 1 return n end
	end
	local a, b = counter(), counter()
	T.eq(a(), 1)
	T.eq(a(), 2)
	T.eq(b(), 1)
end)

T.test("shared-upvalue", function()
	local x = 0
	local function inc() x = x + 1 end
	local function get() return x end
	inc()
	inc()
	T.eq(get(), 2)
	x = 10
	T.eq(get(), 10)
end)

T.test("fresh-loop-locals", function()
	local fs = {}
	for i = 1, 3 do fs[i] = function() return i end end
	T.same({fs[1](), fs[2](), fs[3]()}, {1, 2, 3})
	local gs = {}
	for _, v in ipairs{"a", "b"} do gs[#gs + 1] = function() return v end end
	T.eq(gs[1]() .. gs[2](), "ab")
	local hs, j = {}, 0
	while j < 3 do
		j = j + 1
		local k = j
		hs[j] = function() return k end
	end
	T.eq(hs[1]() + hs[3](), 4)
end)

T.test("closed-after-return", function()
	local function make()
		local v = "inner"
		local function set(x) v = x end
		local function get() return v end
		return set, get
	end
	local set, get = make()
	set("changed")
	T.eq(get(), "changed")
	local set2, get2 = make()
	T.eq(get2(), "inner")
	set2(1)
	T.eq(get(), "changed")
end)

T.test("recursion", function()
	local function fact(n)
		if n <= 1 then return 1 end
		return n * fact(n - 1)
	end
	T.eq(fact(20), 2432902008176640000)
	local function depth(n)
		if n == 0 then return 0 end
		return 1 + depth(n - 1)
	end
	T.eq(depth(150), 150)
end)

T.test("tail-call", function()
	local function loop(n)
		if n == 0 then return "done" end
		return loop(n - 1)
	end
	T.eq(loop(1000000), "done")
end)

T.test("stack-overflow", function()
	local function inf(n) return 1 + inf(n + 1) end
	-- a memory cap may be hit before the stack limit; either is an error
	local e = T.err(inf, nil, 1)
	T.ok(e:find("stack overflow") or e:find("not enough memory"), e)
	T.eq(select(2, pcall(inf, 1)) == e, true, "state still usable")
end)

T.test("select", function()
	T.eq(select("#"), 0)
	T.eq(select("#", nil, nil), 2)
	T.eq(select(2, "a", "b", "c"), "b")
	T.same({select(-1, "a", "b", "c")}, {"c"})
	T.same({select(2, "a", "b", "c")}, {"b", "c"})
	T.err(select, "index out of range", 0, "a")
	T.err(select, "index out of range", -3, "a")
end)

T.test("varargs", function()
	local function count(...) return select("#", ...) end
	T.eq(count(), 0)
	T.eq(count(nil), 1)
	T.eq(count(1, nil, nil), 3)
	local function pass(...) return ... end
	T.eq(count(pass(1, nil, 3, nil)), 4)
	local function first(...) local a = ... return a end
	T.eq(first("x", "y"), "x")
	local function tbl(...) return {...} end
	T.eq(#tbl(1, 2, 3), 3)
end)

T.test("pack-nils", function()
	local function f(...) return table.pack(...) end
	local p = f(nil, 2, nil)
	T.eq(p.n, 3)
	T.eq(p[2], 2)
	T.eq(f().n, 0)
end)

T.test("adjust-results", function()
	local function two() return 1, 2 end
	local a, b, c = two()
	T.same({a, b, c}, {1, 2})
	local x, y = two(), 10
	T.same({x, y}, {1, 10})
	T.eq(select("#", (two())), 1)
	T.eq(select("#", two(), two()), 3)
end)

T.test("method-call", function()
	local obj = {n = 5}
	function obj:add(k) self.n = self.n + k return self end
	obj:add(2):add(3)
	T.eq(obj.n, 10)
	T.err(function() local o = {} o:missing() end, "method 'missing'")
end)

T.test("many-upvalues", function()
	local src = {}
	for i = 1, 200 do src[#src + 1] = "local v" .. i .. " = " .. i end
	src[#src + 1] = "return function() return v1 + v100 + v200 end"
	local f = assert(load(table.concat(src, "\n")))
	T.eq(f()(), 301)
end)

return T.done()
