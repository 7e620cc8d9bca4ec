-- net: IPv4 addresses between dotted strings and integers (host order),
-- the integers socket.new(socket.af.INET, ...) takes and returns.
--
--	net.aton("127.0.0.1")	-- 0x7f000001; raises on a bad address
--	net.ntoa(0x7f000001)	-- "127.0.0.1"
local net = {}

function net.aton(s)
	if type(s) ~= "string" then
		error("bad argument #1 to 'aton' (string expected, got " ..
			type(s) .. ")", 2)
	end
	local a, b, c, d = s:match("^(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)$")
	a, b, c, d = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
	if not a or a > 255 or b > 255 or c > 255 or d > 255 then
		error("bad argument #1 to 'aton' (invalid IPv4 address)", 2)
	end
	return a << 24 | b << 16 | c << 8 | d
end

function net.ntoa(n)
	if math.type(n) ~= "integer" or n < 0 or n > 0xffffffff then
		error("bad argument #1 to 'ntoa' (IPv4 address out of range)", 2)
	end
	return string.format("%d.%d.%d.%d", n >> 24, n >> 16 & 255,
		n >> 8 & 255, n & 255)
end

return net
