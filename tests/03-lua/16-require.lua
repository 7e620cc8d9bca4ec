-- require and package, using the fixture modules installed beside ktap.lua.
local T = require "ktap"

T.test("path-shape", function()
	T.eq(type(package.path), "string")
	T.ok(package.path:find("?.lua", 1, true), package.path)
	T.ok(package.path:find("?/init.lua", 1, true), package.path)
	T.eq(package.config:sub(1, 1), "/")
end)

T.test("loaded-builtins", function()
	T.eq(package.loaded.ktap, T)
	T.eq(package.loaded._G, _G)
	T.eq(package.loaded.string, string)
	T.eq(package.loaded.table, table)
	T.eq(require "string", string)
end)

T.test("load-and-cache", function()
	local m, path = require "fixture_mod"
	T.eq(m.answer, 42)
	T.eq(m.name, "fixture_mod", "module name passed as first argument")
	T.ok(type(m.path) == "string" and m.path:find("fixture_mod%.lua$"),
		tostring(m.path))
	T.eq(path, m.path, "loader data returned as second value")
	T.eq(require "fixture_mod", m)
	T.eq(fixture_mod_runs, 1)
	T.eq(package.loaded.fixture_mod, m)
end)

T.test("reload", function()
	local m = require "fixture_mod"
	package.loaded.fixture_mod = nil
	local m2 = require "fixture_mod"
	T.ne(m2, m)
	T.eq(fixture_mod_runs, 2)
end)

T.test("init-lua", function()
	local p = require "fixture_pkg"
	T.eq(p.kind, "package")
	T.eq(p.sub, "submodule")
	T.eq(package.loaded["fixture_pkg.sub"], "submodule")
end)

T.test("returns-nothing", function()
	T.eq(require "fixture_nil", true)
	T.eq(package.loaded.fixture_nil, true)
	T.eq(fixture_nil_ran, true)
end)

T.test("missing", function()
	local e = T.err(require, "module 'no_such_mod_xyz' not found",
		"no_such_mod_xyz")
	T.ok(e:find("no file '[^']*no_such_mod_xyz%.lua'"), e)
	T.eq(package.loaded.no_such_mod_xyz, nil)
end)

T.test("runtime-error", function()
	T.err(require, "fixture boom", "fixture_err")
	T.eq(package.loaded.fixture_err, nil)
	T.err(require, "fixture boom", "fixture_err")
	T.eq(fixture_err_runs, 2, "a failed module is not cached")
end)

T.test("syntax-error", function()
	T.err(require, "error loading module 'fixture_syntax'", "fixture_syntax")
end)

T.test("preload", function()
	package.preload.virtual = function(name, extra)
		return {name = name, extra = extra}
	end
	local v = require "virtual"
	T.eq(v.name, "virtual")
	T.eq(v.extra, ":preload:")
	T.eq(require "virtual", v)
end)

T.test("searchpath", function()
	local p = package.searchpath("fixture_pkg.sub", package.path)
	T.ok(p and p:find("fixture_pkg/sub%.lua$"), tostring(p))
	local none, msg = package.searchpath("nope_x", "/nonexistent/?.lua")
	T.eq(none, nil)
	T.ok(msg:find("/nonexistent/nope_x.lua", 1, true), msg)
end)

T.test("custom-searcher", function()
	table.insert(package.searchers, 1, function(name)
		if name == "from_searcher" then
			return function() return "S" end, "data"
		end
		return "\n\tnot from custom searcher"
	end)
	T.eq(require "from_searcher", "S")
	local e = T.err(require, "not found", "no_such_mod_abc")
	T.ok(e:find("not from custom searcher"), e)
	table.remove(package.searchers, 1)
end)

T.test("bad-name", function()
	T.err(require, "bad argument #1", {})
end)

return T.done()
