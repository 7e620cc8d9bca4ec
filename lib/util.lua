-- util: small helpers upstream scripts share.
--
--	util.bin2hex("\1\255")		-- "01ff"
--	util.hex2bin("01FF")		-- "\1\255"; raises on odd length or non-hex
--	util.log("info", "up", 3)	-- prints "INFO\tup\t3"
--	util.test("name", fn)		-- prints "PASS\tname", or "FAIL\tname\terr"
--					-- and a traceback
local util = {}

local byte, char, format = string.byte, string.char, string.format

function util.bin2hex(s)
	if type(s) ~= "string" then
		error("bad argument #1 to 'bin2hex' (string expected, got " ..
			type(s) .. ")", 2)
	end
	return (s:gsub(".", function (c) return format("%02x", byte(c)) end))
end

function util.hex2bin(h)
	if type(h) ~= "string" then
		error("bad argument #1 to 'hex2bin' (string expected, got " ..
			type(h) .. ")", 2)
	end
	if #h % 2 ~= 0 or h:find("[^%x]") then
		error("bad argument #1 to 'hex2bin' (even number of hex digits expected)", 2)
	end
	return (h:gsub("..", function (xx) return char(tonumber(xx, 16)) end))
end

function util.log(what, ...)
	local out = { tostring(what):upper() }
	for i = 1, select("#", ...) do
		out[#out + 1] = tostring((select(i, ...)))
	end
	print(table.concat(out, "\t"))
end

function util.test(name, fn)
	local ok, err = pcall(fn)
	if ok then
		util.log("pass", name)
	else
		util.log("fail", name, err, "\n" .. debug.traceback())
	end
	return ok
end

return util
