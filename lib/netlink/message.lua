-- netlink.message: the netlink wire format, in Lua strings.
--
--	local message = require "netlink.message"
--	local body = message.attrs{[3] = "eth0\0", [4] = 1500}
--	local buf = message.encode(16, 0x1, 7, body)	-- type, flags, seq
--	for _, m in ipairs(message.parse(buf)) do
--		local a = message.attrs(m.body)		-- {[3] = "eth0\0", ...}
--		print(m.type, message.str(a[3]), message.u32(a[4]))
--	end
--
-- encode(mtype, flags, seq, payload) puts a struct nlmsghdr (port id 0)
-- before the payload.  parse(buf) lists {type, flags, seq, pid, body}
-- for each whole message in buf, body being what follows the header; it
-- stops quietly at a truncated or malformed one, whose bytes it counts
-- in the list's field truncated.  encode does not pad the payload: one
-- that follows another message starts at message.align(#first).  attrs(t) packs {[type] = value} as attributes
-- (an integer: a u32; a string: its bytes), in type order; attrs(s[,
-- pos]) parses the attributes of s from pos (default 1) into {[type] =
-- bytes} (the nested and byte-order bits cleared).  u32, u16, u8 and str
-- decode a value (nil passes through): str cuts at the first NUL.
-- Integers are in host byte order, as netlink's.
local message = {}

local pack, unpack = string.pack, string.unpack

local NLMSGHDR = "=I4I2I2I4I4"	-- len, type, flags, seq, pid
local NLMSG_HDRLEN = 16
local NLATTR = "=I2I2"		-- len, type
local NLA_HDRLEN = 4
local NLA_TYPE_MASK = 0x3fff	-- without NLA_F_NESTED, NLA_F_NET_BYTEORDER
local U16MAX, U32MAX = 0xffff, 0xffffffff

message.HDRLEN = NLMSG_HDRLEN

local function align(n)
	return (n + 3) & ~3
end
message.align = align

local function argerror(i, fn, why)
	error(string.format("bad argument #%d to '%s' (%s)", i, fn, why), 3)
end

local function checkint(v, i, fn, max)
	if math.type(v) ~= "integer" then
		argerror(i, fn, "integer expected, got " ..
			(math.type(v) or type(v)))
	end
	if v < 0 or v > max then
		argerror(i, fn, "out of range (0 to " .. max .. ")")
	end
	return v
end

--- message.encode(mtype, flags, seq, payload) -> the message's bytes
function message.encode(mtype, flags, seq, payload)
	checkint(mtype, 1, "encode", U16MAX)
	checkint(flags, 2, "encode", U16MAX)
	checkint(seq, 3, "encode", U32MAX)
	payload = payload or ""
	if type(payload) ~= "string" then
		argerror(4, "encode", "string expected, got " .. type(payload))
	end
	if NLMSG_HDRLEN + #payload > U32MAX then
		argerror(4, "encode", "payload too long")
	end
	return pack(NLMSGHDR, NLMSG_HDRLEN + #payload, mtype, flags, seq, 0) ..
		payload
end

--- message.parse(buf) -> {{type, flags, seq, pid, body}, ...[, truncated
--- = the number of bytes of a truncated or malformed tail]}
function message.parse(buf)
	if type(buf) ~= "string" then
		argerror(1, "parse", "string expected, got " .. type(buf))
	end
	local out, p = {}, 1
	while p + NLMSG_HDRLEN - 1 <= #buf do
		local len, mtype, flags, seq, pid = unpack(NLMSGHDR, buf, p)
		if len < NLMSG_HDRLEN or p + len - 1 > #buf then
			break
		end
		out[#out + 1] = {type = mtype, flags = flags, seq = seq,
			pid = pid, body = buf:sub(p + NLMSG_HDRLEN, p + len - 1)}
		p = p + align(len)
	end
	if p <= #buf then
		out.truncated = #buf - p + 1
	end
	return out
end

local function encodeattrs(t)
	local types = {}
	for k, v in pairs(t) do
		checkint(k, 1, "attrs", NLA_TYPE_MASK)
		types[#types + 1] = k
	end
	table.sort(types)
	local out = {}
	for _, k in ipairs(types) do
		local v = t[k]
		if math.type(v) == "integer" then
			if v < 0 or v > U32MAX then
				argerror(1, "attrs", "attribute " .. k ..
					": integer out of range (a u32)")
			end
			v = pack("=I4", v)
		elseif type(v) ~= "string" then
			argerror(1, "attrs", "attribute " .. k ..
				": integer or string expected, got " ..
				(math.type(v) or type(v)))
		end
		local len = NLA_HDRLEN + #v
		if len > U16MAX then
			argerror(1, "attrs", "attribute " .. k .. " too long")
		end
		out[#out + 1] = pack(NLATTR, len, k) .. v ..
			string.rep("\0", align(len) - len)
	end
	return table.concat(out)
end

--- message.parseattrs(s[, pos]) -> {[type] = bytes}
function message.parseattrs(s, pos)
	if type(s) ~= "string" then
		argerror(1, "parseattrs", "string expected, got " .. type(s))
	end
	pos = pos or 1
	checkint(pos, 2, "parseattrs", #s + 1)
	local t = {}
	while pos + NLA_HDRLEN - 1 <= #s do
		local len, atype = unpack(NLATTR, s, pos)
		if len < NLA_HDRLEN or pos + len - 1 > #s then
			break
		end
		t[atype & NLA_TYPE_MASK] = s:sub(pos + NLA_HDRLEN, pos + len - 1)
		pos = pos + align(len)
	end
	return t
end

--- message.attrs(t) -> bytes; message.attrs(s[, pos]) -> {[type] = bytes}
function message.attrs(v, pos)
	if type(v) == "string" then
		return message.parseattrs(v, pos)
	elseif type(v) == "table" then
		return encodeattrs(v)
	end
	argerror(1, "attrs", "table or string expected, got " .. type(v))
end

local function decoder(name, fmt, size)
	message[name] = function(v)
		if v == nil then
			return nil
		elseif type(v) ~= "string" then
			argerror(1, name, "string expected, got " .. type(v))
		elseif #v < size then
			error("netlink.message: " .. name .. ": truncated value (" ..
				#v .. " of " .. size .. " bytes)", 2)
		end
		return (unpack(fmt, v))
	end
end
decoder("u32", "=I4", 4)
decoder("u16", "=I2", 2)
decoder("u8", "B", 1)

--- message.str(v) -> v up to its first NUL
function message.str(v)
	if v == nil then
		return nil
	elseif type(v) ~= "string" then
		argerror(1, "str", "string expected, got " .. type(v))
	end
	return (v:match("^[^%z]*"))
end

return message
