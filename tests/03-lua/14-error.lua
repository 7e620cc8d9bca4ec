-- error, pcall, xpcall, assert.
local T = require "ktap"

T.test("pcall-results", function()
	T.same({pcall(function(...) return ... end, 1, nil, 3)},
		{true, 1, nil, 3})
	T.same({pcall(error)}, {false, nil})
	T.err(pcall, "value expected")
end)

T.test("error-levels", function()
	local function lvl1() error("one") end
	local function lvl2() error("two", 2) end
	local function caller() lvl2() end	-- the line blamed by level 2
	local _, e1 = pcall(lvl1)
	local _, e2 = pcall(caller)
	local _, e0 = pcall(error, "zero", 0)
	T.ok(e1:find(":%d+: one$"), e1)
	T.ok(e2:find(":%d+: two$"), e2)
	local l1 = tonumber(e1:match(":(%d+): one$"))
	local l2 = tonumber(e2:match(":(%d+): two$"))
	T.eq(l2 - l1, 2, "level 2 blames the caller's line")
	T.eq(e0, "zero")
end)

T.test("error-table", function()
	local obj = {code = 42}
	local ok, e = pcall(error, obj)
	T.eq(ok, false)
	T.eq(e, obj, "same object, no position added")
	local _, e2 = pcall(function() error(setmetatable({}, {
		__tostring = function() return "custom" end})) end)
	T.eq(tostring(e2), "custom")
end)

T.test("error-non-string", function()
	T.same({pcall(error, 17)}, {false, 17})
	T.same({pcall(error, true)}, {false, true})
	T.same({pcall(error, nil)}, {false, nil})
	local _, e = pcall(function() error(17) end)
	T.eq(e, 17, "numbers get no position")
end)

T.test("runtime-error-msgs", function()
	local t = {}
	T.err(function() return t.x.y end,
		"attempt to index a nil value %(field 'x'%)")
	T.err(function() local u; u() end,
		"attempt to call a nil value %(local 'u'%)")
	T.err(function() return undefined_global_fn() end,
		"global 'undefined_global_fn'")
	T.err(function() return #5 end, "length of a number value")
	T.err(function() return -{} end, "arithmetic on a table value")
end)

T.test("xpcall", function()
	local function handler(m) return "handled: " .. tostring(m) end
	T.same({xpcall(error, handler, "oops", 0)}, {false, "handled: oops"})
	T.same({xpcall(function(a, b) return a + b end, handler, 2, 3)}, {true, 5})
	local ok, e = xpcall(function() error({1}) end, function(m) return m[1] end)
	T.same({ok, e}, {false, 1})
end)

T.test("handler-error", function()
	local ok, e = xpcall(error, function() error("again") end, "first")
	T.eq(ok, false)
	T.ok(e ~= "first", "handler error must not be swallowed silently")
end)

T.test("nested-pcall", function()
	local log = {}
	local ok, e = pcall(function()
		local ok2, e2 = pcall(error, "inner", 0)
		log[#log + 1] = e2
		error("outer", 0)
	end)
	T.same(log, {"inner"})
	T.same({ok, e}, {false, "outer"})
	-- C levels are few in the kernel (LUAI_MAXCCALLS): stay well below
	local depth = 0
	local function nest(n)
		if n == 0 then error("deep", 0) end
		local _, m = pcall(nest, n - 1)
		depth = depth + 1
		error(m, 0)
	end
	T.same({pcall(nest, 8)}, {false, "deep"})
	T.eq(depth, 8)
end)

T.test("assert", function()
	T.same({assert(1, "m", 3)}, {1, "m", 3})
	T.err(assert, "assertion failed!", false)
	T.err(assert, "^custom$", nil, "custom")
	local obj = {}
	T.eq(select(2, pcall(assert, false, obj)), obj)
	T.err(assert, "value expected")
end)

T.test("error-in-tostring", function()
	local bad = setmetatable({}, {__tostring = function() error("ts", 0) end})
	T.same({pcall(tostring, bad)}, {false, "ts"})
end)

T.test("position-format", function()
	local f = load("\n\nerror('here')", "=mychunk")
	T.same({pcall(f)}, {false, "mychunk:3: here"})
	f = load("error('s')", "@file.lua")
	T.same({pcall(f)}, {false, "file.lua:1: s"})
	f = load("error('q')", "code")
	T.same({pcall(f)}, {false, '[string "code"]:1: q'})
end)

-- Unbounded C recursion must end in a Lua error, never a crash.
T.test("c-stack-metamethod", function()
	local t = setmetatable({}, {__index = function(self, k)
		return self[k]
	end})
	T.err(function() return t.x end, "stack overflow")
end)

T.test("c-stack-gsub", function()
	local function g(s) return (s:gsub(".", g)) end
	T.err(g, "stack overflow", "ab")
end)

T.test("c-stack-coroutine", function()
	local function r() return coroutine.wrap(r)() end
	T.err(r, "stack overflow")
end)

T.test("parser-depth", function()
	local f, e = load("return " .. ("("):rep(1000) .. "1" .. (")"):rep(1000))
	T.eq(f, nil)
	T.ok(e:find("overflow") or e:find("levels"), e)
	T.eq(load("return ((((1))))")(), 1)
end)

return T.done()
