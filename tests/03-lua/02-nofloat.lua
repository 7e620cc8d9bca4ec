-- The integer-only dialect: float literals, '^', float conversions and the
-- float parts of the libraries are gone; so is 'os'.
local T = require "ktap"

local function rejects(src, pattern)
	local f, msg = load(src, "=src")
	T.eq(f, nil, src .. " compiles")
	T.ok(type(msg) == "string", "no message")
	if pattern then
		T.ok(msg:find(pattern), "message: " .. msg)
	end
	return msg
end

T.test("float-literal", function()
	rejects("return 1.5", "float")
	rejects("return 3.")
	rejects("return .5")
end)

T.test("exponent-literal", function()
	rejects("return 1e3", "float")
	rejects("return 1E-2")
	rejects("return 0x1p4", "float")
	rejects("return 0x.8")
end)

T.test("float-message", function()
	local msg = rejects("local x = 1\nlocal y = 2.25", "float")
	T.ok(msg:find("^src:2:"), "line number: " .. msg)
end)

T.test("pow-absent", function()
	rejects("return 2^3")
	rejects("local a, b = 2, 3 return a ^ b")
end)

T.test("int-literals-ok", function()
	T.eq(load("return 15")(), 15)
	T.eq(load("return 0x0f")(), 15)
	T.eq(load("return '1.5'")(), "1.5", "float text in a string")
	T.eq(load("return 3 .. 4")(), "34")
end)

T.test("tonumber-float", function()
	T.eq(tonumber("1.5"), nil)
	T.eq(tonumber("1e3"), nil)
	T.eq(tonumber("0x1p4"), nil)
	T.eq(tonumber("2."), nil)
	T.eq(tonumber("inf"), nil)
	T.eq(tonumber("nan"), nil)
end)

T.test("coerce-float-string", function()
	T.err(function() return "1.5" + 1 end)
	T.err(function() return "2e1" * 1 end)
	T.eq("15" + 0, 15)
end)

T.test("format-float", function()
	for _, spec in ipairs{"%f", "%e", "%g", "%a", "%.2f", "%E", "%G", "%A"} do
		T.err(function() return string.format(spec, 1) end, nil)
	end
	T.eq(string.format("%d", 3), "3")
end)

T.test("slash-integer", function()
	T.eq(tostring(1 / 2), "0")
	T.eq(tostring(10 / 3), "3")
	T.eq(tostring(-1 / 2), "-1")
end)

T.test("math-contents", function()
	local allowed = {abs = 1, tointeger = 1, ult = 1, max = 1, min = 1,
		maxinteger = 1, mininteger = 1, type = 1}
	for k in pairs(math) do
		T.ok(allowed[k], "unexpected math." .. tostring(k))
	end
	for _, k in ipairs{"abs", "tointeger", "ult", "max", "min"} do
		T.eq(type(math[k]), "function", "math." .. k)
	end
end)

T.test("math-no-float-fields", function()
	T.eq(math.pi, nil)
	T.eq(math.huge, nil)
	T.eq(math.floor, nil)
	T.eq(math.sqrt, nil)
	T.eq(math.random, nil)
end)

T.test("no-os", function()
	T.eq(os, nil)
	T.eq(package.loaded.os, nil)
end)

T.test("debug-subset", function()
	T.eq(package.loaded.debug, debug)
	local keys = {}
	for k in pairs(debug) do keys[#keys + 1] = k end
	table.sort(keys)
	T.eq(table.concat(keys, " "), "getinfo traceback")
end)

T.test("tostring-no-dot", function()
	for _, v in ipairs{0, 7 / 7, 100 // 3, math.maxinteger} do
		T.ok(not tostring(v):find("[%.e]"), tostring(v))
	end
end)

return T.done()
