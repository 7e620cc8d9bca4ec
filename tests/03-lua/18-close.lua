-- To-be-closed variables and <const>.
local T = require "ktap"

local log
local function closer(name)
	return setmetatable({}, {__close = function(_, err)
		log[#log + 1] = name .. (err and ("!" .. tostring(err)) or "")
	end})
end

T.test("order", function()
	log = {}
	do
		local a <close> = closer("a")
		local b <close> = closer("b")
		local c <close> = closer("c")
		log[#log + 1] = "body"
	end
	T.same(log, {"body", "c", "b", "a"})
end)

T.test("on-return", function()
	log = {}
	local function f()
		local x <close> = closer("x")
		return "r"
	end
	T.eq(f(), "r")
	T.same(log, {"x"})
end)

T.test("on-break", function()
	log = {}
	for i = 1, 3 do
		local c <close> = closer("i" .. i)
		if i == 2 then break end
	end
	T.same(log, {"i1", "i2"})
end)

T.test("on-error", function()
	log = {}
	local ok, e = pcall(function()
		local a <close> = closer("a")
		local b <close> = closer("b")
		error("E", 0)
	end)
	T.same({ok, e}, {false, "E"})
	T.same(log, {"b!E", "a!E"})
end)

T.test("error-in-close", function()
	log = {}
	local ok, e = pcall(function()
		local a <close> = closer("a")
		local b <close> = setmetatable({}, {__close = function()
			error("from close", 0)
		end})
		return 1
	end)
	T.same({ok, e}, {false, "from close"})
	T.same(log, {"a!from close"}, "later closers still run")
end)

T.test("nil-false-ok", function()
	log = {}
	do
		local n <close> = nil
		local f <close> = false
		local c <close> = closer("c")
	end
	T.same(log, {"c"})
end)

T.test("non-closable", function()
	T.err(function() local x <close> = {} end, "non%-closable value")
	T.err(function() local x <close> = 42 end, "non%-closable value")
end)

T.test("generic-for-closing", function()
	log = {}
	local function iter()
		return function(_, i) if i < 5 then return i + 1 end end,
			nil, 0, closer("for")
	end
	for i in iter() do
		if i == 2 then break end
	end
	T.same(log, {"for"})
end)

T.test("const", function()
	local k <const> = 10
	T.eq(k * 2, 20)
	local f, e = load("local x <const> = 1; x = 2", "=c")
	T.eq(f, nil)
	T.ok(e:find("attempt to assign to const variable 'x'"), e)
	f, e = load("local y <close> = nil; y = 1", "=c")
	T.eq(f, nil)
	T.ok(e:find("attempt to assign to const variable 'y'"), e)
	f, e = load("local z <const> = 1; return function() z = 3 end", "=c")
	T.eq(f, nil, "assignment through an upvalue")
end)

T.test("bad-attribute", function()
	local f, e = load("local a <nonsense> = 1", "=c")
	T.eq(f, nil)
	T.ok(e:find("unknown attribute 'nonsense'"), e)
	f, e = load("local a <close>, b <close> = 1, 2", "=c")
	T.eq(f, nil)
	T.ok(e:find("multiple to%-be%-closed"), e)
end)

T.test("coroutine-close", function()
	log = {}
	local co = coroutine.create(function()
		local c <close> = closer("co")
		coroutine.yield()
	end)
	coroutine.resume(co)
	T.same(log, {})
	T.eq(coroutine.close(co), true)
	T.same(log, {"co"})
end)

return T.done()
