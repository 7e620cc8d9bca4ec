-- The debug subset: traceback and getinfo, what error reports use;
-- nothing that reaches the registry, upvalues, locals, hooks or metatables.
local T = require "ktap"

T.test("nothing-else", function()
	for _, k in ipairs{"getregistry", "getmetatable", "setmetatable",
	    "getupvalue", "setupvalue", "upvalueid", "upvaluejoin",
	    "getlocal", "setlocal", "sethook", "gethook", "getuservalue",
	    "setuservalue", "debug", "setcstacklimit"} do
		T.eq(debug[k], nil, k)
	end
end)

T.test("traceback", function()
	local function inner() return debug.traceback("oops") end
	local tb = inner()
	T.ok(tb:find("^oops\nstack traceback:\n"), tb)
	T.ok(tb:find("in upvalue 'inner'", 1, true) or
	     tb:find("in local 'inner'", 1, true), tb)
	T.ok(debug.traceback():find("^stack traceback:\n"))
	T.ok(debug.traceback(nil):find("^stack traceback:\n"))
	T.eq(debug.traceback(42):match("^42\n"), "42\n")
	local t = {}
	T.eq(debug.traceback(t), t, "a non-string message comes back as is")
end)

T.test("traceback-level", function()
	local function f() return debug.traceback("m", 1) end
	local function g() return debug.traceback("m", 2) end
	T.ok(f():find("in %a+ 'f'"), f())
	T.ok(not g():find("in %a+ 'g'"), g())
end)

T.test("traceback-coroutine", function()
	local co = coroutine.create(function() coroutine.yield() end)
	coroutine.resume(co)
	local tb = debug.traceback(co, "co")
	T.ok(tb:find("^co\nstack traceback:\n"), tb)
	T.ok(tb:find("yield", 1, true), tb)
end)

T.test("xpcall-handler", function()
	local ok, tb = xpcall(function() error("boom") end, debug.traceback)
	T.eq(ok, false)
	T.ok(tb:find("boom\nstack traceback:", 1, true), tb)
end)

T.test("getinfo-function", function()
	local function f(a, b, ...) return a end
	local i = debug.getinfo(f)
	T.eq(i.what, "Lua")
	T.eq(i.nparams, 2)
	T.eq(i.isvararg, true)
	T.eq(i.func, f)
	T.ok(i.linedefined > 0 and i.lastlinedefined >= i.linedefined)
	T.ok(type(i.short_src) == "string" and #i.short_src > 0, i.short_src)
	T.eq(i.source:sub(1, 1) == "@" or i.source:sub(1, 1) == "=", true)
	T.eq(debug.getinfo(print).what, "C")
	local s = debug.getinfo(f, "S")
	T.eq(s.currentline, nil)
	T.eq(s.func, nil)
	T.eq(type(debug.getinfo(f, "L").activelines), "table")
end)

T.test("getinfo-level", function()
	local function here() return debug.getinfo(1, "nl") end
	local i = here()
	T.eq(i.name, "here")
	T.ok(i.currentline > 0)
	T.eq(debug.getinfo(1000), nil, "no such level")
	local function caller() return debug.getinfo(2, "Sf") end
	T.eq(type(caller().func), "function")
end)

T.test("getinfo-no-c-function", function()
	-- level 0 is getinfo itself, a C function: never handed out
	local i = debug.getinfo(0, "Sf")
	T.eq(i.what, "C")
	T.eq(i.func, nil)
	local via = {}
	pcall(function() via = debug.getinfo(2, "f") end)
	T.eq(via.func, nil, "pcall's frame, a C function")
end)

T.test("getinfo-bad", function()
	T.ok(not pcall(debug.getinfo, print, ">"))
	local ok, e = pcall(debug.getinfo, print, "x")
	T.ok(not ok and e:find("invalid option"), e)
	ok, e = pcall(debug.getinfo, "nope")
	T.ok(not ok and e:find("number expected"), e)
	ok, e = pcall(debug.getinfo)
	T.ok(not ok, e)
end)

return T.done()
