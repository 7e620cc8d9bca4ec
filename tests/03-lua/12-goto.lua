-- goto and labels.
local T = require "ktap"

T.test("continue", function()
	local odd = {}
	for i = 1, 6 do
		if i % 2 == 0 then goto continue end
		odd[#odd + 1] = i
		::continue::
	end
	T.same(odd, {1, 3, 5})
end)

T.test("nested-break", function()
	local found
	for i = 1, 5 do
		for j = 1, 5 do
			if i * j == 12 then
				found = i .. "x" .. j
				goto out
			end
		end
	end
	::out::
	T.eq(found, "3x4")
end)

T.test("backward-loop", function()
	local n = 0
	::top::
	n = n + 1
	if n < 5 then goto top end
	T.eq(n, 5)
end)

T.test("closure-per-iteration", function()
	local fs = {}
	local i = 1
	::again::
	do
		local k = i
		fs[i] = function() return k end
	end
	i = i + 1
	if i <= 3 then goto again end
	T.same({fs[1](), fs[2](), fs[3]()}, {1, 2, 3})
end)

T.test("label-at-block-end", function()
	local f = load([[
		local x = 0
		do
			goto e
			local y = 1
			x = y
			::e::
		end
		return x
	]])
	T.ok(f, "jump to a label at the end of a block is allowed")
	T.eq(f(), 0)
end)

local function compile_error(src, pattern)
	local f, msg = load(src, "=g")
	T.eq(f, nil, "compiled: " .. src)
	T.ok(msg:find(pattern), msg)
end

T.test("into-scope", function()
	compile_error("goto l; local a = 1; ::l:: print(a)",
		"jumps into the scope of local 'a'")
end)

T.test("undefined-label", function()
	compile_error("goto nowhere", "no visible label 'nowhere'")
	compile_error("do ::inner:: end goto inner", "no visible label 'inner'")
end)

T.test("duplicate-label", function()
	compile_error("::a:: ::a::", "label 'a' already defined")
	compile_error("::b:: do ::b:: end", "label 'b' already defined")
end)

T.test("break-outside-loop", function()
	compile_error("break", "break outside")
end)

T.test("goto-keyword", function()
	compile_error("local goto = 1", "<name> expected")
end)

return T.done()
