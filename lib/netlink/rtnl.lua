-- netlink.rtnl: the kernel's links, addresses, routes and rules, read
-- through rtnetlink dumps on a kernel socket (socket.af.NETLINK).
--
--	local rtnl = require "netlink.rtnl"
--	for _, l in ipairs(rtnl.link()) do print(l.index, l.name, l.mtu) end
--	rtnl.addr()	-- {family, index, prefixlen, address, scope, label}
--	rtnl.route()	-- {family, table, dst, dst_len, gateway, oif, ...}
--	rtnl.rule()	-- {family, table, priority, action}
--
-- Each call opens a NETLINK_ROUTE socket in the namespace of the task
-- that runs the script (see socket), sends one dump request and reads the
-- answer to its end; a netlink error raises "netlink.rtnl: <ERRNO>".
-- addr, route and rule take an address family (2: IPv4, 10: IPv6;
-- default: all).  Addresses come back as strings: dotted IPv4, compressed
-- IPv6 (RFC 5952), link-layer "aa:bb:..".  Process runtimes only, as
-- sockets.
local socket = require "socket"
local linux = require "linux"

local rtnl = {}

local AF_INET, AF_INET6 = 2, 10
local NLMSG_ERROR, NLMSG_DONE = 2, 3
local NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
local NLA_TYPE_MASK = 0x3fff
local HDRLEN = 16	-- struct nlmsghdr
local TIMEOUT = 5000	-- ms, for each receive

local function align(n)
	return (n + 3) & ~3
end

-- Attributes between positions first and last (1-based, inclusive):
-- type -> payload.
local function attrs(buf, first, last)
	local t = {}
	local p = first
	while p + 3 <= last do
		local len, typ = string.unpack("=I2I2", buf, p)
		if len < 4 or p + len - 1 > last then
			break
		end
		t[typ & NLA_TYPE_MASK] = buf:sub(p + 4, p + len - 1)
		p = p + align(len)
	end
	return t
end

local function u32(s)
	return s and #s >= 4 and (string.unpack("=I4", s)) or nil
end

local function cstring(s)
	return s and (s:match("^[^%z]*")) or nil
end

local function ipv6(s)
	local g = {string.unpack(">I2I2I2I2I2I2I2I2", s)}
	g[9] = nil
	-- IPv4-mapped: ::ffff:a.b.c.d
	if g[1] == 0 and g[2] == 0 and g[3] == 0 and g[4] == 0 and
			g[5] == 0 and g[6] == 0xffff then
		return "::ffff:" .. string.format("%d.%d.%d.%d",
			s:byte(13, 16))
	end
	-- the longest run of two or more zero groups (the first of equal
	-- ones) becomes "::"
	local best, bestlen, i = 0, 1, 1
	while i <= 8 do
		if g[i] == 0 then
			local j = i
			while j < 8 and g[j + 1] == 0 do
				j = j + 1
			end
			if j - i + 1 > bestlen then
				best, bestlen = i, j - i + 1
			end
			i = j + 1
		else
			i = i + 1
		end
	end
	local function hex(from, to)
		local out = {}
		for k = from, to do
			out[#out + 1] = string.format("%x", g[k])
		end
		return table.concat(out, ":")
	end
	if best == 0 then
		return hex(1, 8)
	end
	return hex(1, best - 1) .. "::" .. hex(best + bestlen, 8)
end

--- rtnl.ntop(family, bytes): the string form of an address
function rtnl.ntop(family, s)
	if not s then
		return nil
	end
	if family == AF_INET and #s == 4 then
		return string.format("%d.%d.%d.%d", s:byte(1, 4))
	elseif family == AF_INET6 and #s == 16 then
		return ipv6(s)
	end
	local out = {}
	for k = 1, #s do
		out[k] = string.format("%02x", s:byte(k))
	end
	return table.concat(out, ":")
end

local seq = 0

local function fail(err)
	local name = linux.errname(err)
	error("netlink.rtnl: " .. (name ~= "unknown" and name or tostring(err)), 3)
end

-- One dump: request type typ with family header hdr; parse(buf, first,
-- last) turns each reply of type want into a table.
local function dump(typ, want, hdr, parse)
	local s <close> = socket.new(socket.af.NETLINK, socket.sock.RAW,
		socket.netlink.ROUTE)
	s:setsockopt(socket.sol.SOCKET, socket.so.RCVTIMEO, TIMEOUT)
	seq = seq + 1
	local req = string.pack("=I4I2I2I4I4", HDRLEN + #hdr, typ,
		NLM_F_REQUEST | NLM_F_DUMP, seq, 0) .. hdr
	s:send(req, 0)
	local out = {}
	while true do
		local buf, why = s:tryreceive(65536)
		if not buf then
			error("netlink.rtnl: " .. why, 2)
		end
		local p = 1
		while p + HDRLEN - 1 <= #buf do
			local len, mtype, _, mseq = string.unpack("=I4I2I2I4",
				buf, p)
			if len < HDRLEN or p + len - 1 > #buf then
				error("netlink.rtnl: truncated message", 2)
			end
			if mseq == seq then
				if mtype == NLMSG_DONE then
					local err = len >= HDRLEN + 4 and
						string.unpack("=i4", buf,
							p + HDRLEN) or 0
					if err < 0 then
						fail(err)
					end
					return out
				elseif mtype == NLMSG_ERROR then
					local err = string.unpack("=i4", buf,
						p + HDRLEN)
					if err < 0 then
						fail(err)
					end
				elseif mtype == want then
					out[#out + 1] = parse(buf, p + HDRLEN,
						p + len - 1)
				end
			end
			p = p + align(len)
		end
	end
end

local function checkfamily(family)
	family = family or 0
	assert(math.type(family) == "integer" and family >= 0 and
		family < 256, "netlink.rtnl: invalid address family")
	return family
end

--- rtnl.link() -> {{index, name, flags, mtu, address, type}, ...}
function rtnl.link()
	-- struct ifinfomsg: family, pad, type, index, flags, change
	local hdr = string.pack("=BBI2i4I4I4", 0, 0, 0, 0, 0, 0)
	return dump(18, 16, hdr, function(buf, first, last)
		local _, _, typ, index, flags = string.unpack("=BBI2i4I4",
			buf, first)
		local a = attrs(buf, first + 16, last)
		return {index = index, name = cstring(a[3]), flags = flags,
			mtu = u32(a[4]), address = rtnl.ntop(nil, a[1]),
			type = typ}
	end)
end

--- rtnl.addr([family]) -> {{family, index, prefixlen, address, ...}, ...}
function rtnl.addr(family)
	-- struct ifaddrmsg: family, prefixlen, flags, scope, index
	local hdr = string.pack("=BBBBI4", checkfamily(family), 0, 0, 0, 0)
	return dump(22, 20, hdr, function(buf, first, last)
		local fam, plen, _, scope, index = string.unpack("=BBBBI4",
			buf, first)
		local a = attrs(buf, first + 8, last)
		-- IFA_LOCAL (2) is the address itself where IFA_ADDRESS (1)
		-- is a point-to-point peer
		return {family = fam, index = index, prefixlen = plen,
			scope = scope, address = rtnl.ntop(fam, a[2] or a[1]),
			label = cstring(a[3])}
	end)
end

-- struct rtmsg and struct fib_rule_hdr: 8 bytes, then 32-bit flags
local RTHDR = "=BBBBBBBBI4"

--- rtnl.route([family]) -> {{family, table, dst, dst_len, gateway, oif,
--- ...}, ...}; dst is nil for a default route
function rtnl.route(family)
	local hdr = string.pack(RTHDR, checkfamily(family), 0, 0, 0, 0, 0, 0,
		0, 0)
	return dump(26, 24, hdr, function(buf, first, last)
		local fam, dlen, _, _, tbl, proto, scope, typ =
			string.unpack(RTHDR, buf, first)
		local a = attrs(buf, first + 12, last)
		local oif = a[4] and string.unpack("=i4", a[4]) or nil
		return {family = fam, table = u32(a[15]) or tbl,
			dst = rtnl.ntop(fam, a[1]), dst_len = dlen,
			gateway = rtnl.ntop(fam, a[5]), oif = oif,
			protocol = proto, scope = scope, type = typ,
			priority = u32(a[6]), prefsrc = rtnl.ntop(fam, a[7])}
	end)
end

--- rtnl.rule([family]) -> {{family, table, priority, action}, ...}
function rtnl.rule(family)
	local hdr = string.pack(RTHDR, checkfamily(family), 0, 0, 0, 0, 0, 0,
		0, 0)
	return dump(34, 32, hdr, function(buf, first, last)
		local fam, _, _, _, tbl, _, _, action = string.unpack(RTHDR,
			buf, first)
		local a = attrs(buf, first + 12, last)
		return {family = fam, table = u32(a[15]) or tbl,
			priority = u32(a[6]) or 0, action = action}
	end)
end

return rtnl
