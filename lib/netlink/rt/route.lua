-- netlink.rt.route: the kernel's routes.
--
--	local route <close> = require("netlink.rt.route")()
--	route:add{dst = "\192\0\2\0", dst_len = 24, oif = 1, table = 100,
--		scope = 253}
--	for _, r in ipairs(route:list(2)) do print(r.table, r.dst_len) end
--	route:del{dst = "\192\0\2\0", dst_len = 24, oif = 1, table = 100}
--
-- Records: {family, dst_len, src_len, tos, table, protocol, scope, rtype
-- (also type: RTN_*), flags, dst, gateway, prefsrc, oif, priority}; dst,
-- gateway and prefsrc are address bytes in network byte order (dst nil
-- for a default route); table is the TABLE attribute's, else the
-- header's.  add and del take {family (default 2, IPv4), dst_len, dst,
-- gateway, oif, table (default 254, main), protocol (default 4, static),
-- scope (default 0, universe), rtype (default 1, unicast), priority};
-- add raises "EEXIST" for a route that exists, del "ESRCH" for none.
local object = require "netlink.rt.object"
local message = require "netlink.message"

local RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE = 24, 25, 26
local RTA_DST, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_PREFSRC = 1, 4, 5, 6, 7
local RTA_TABLE = 15
local NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
local RT_TABLE_MAIN, RTPROT_STATIC, RTN_UNICAST = 254, 4, 1
local RT_SCOPE_UNIVERSE, RT_SCOPE_NOWHERE = 0, 255
-- family, dst_len, src_len, tos, table, protocol, scope, type, flags
local RTMSG = "=BBBBBBBBI4"
local RTMSG_LEN = 12

local route = object:new{GET = RTM_GETROUTE, NEW = RTM_NEWROUTE,
	DEL = RTM_DELROUTE}
route.__call = object.__call

function route:header(family)
	return string.pack(RTMSG, family or 0, 0, 0, 0, 0, 0, 0, 0, 0)
end

function route:decode(body)
	local family, dst_len, src_len, tos, tbl, protocol, scope, rtype,
		flags = string.unpack(RTMSG, body)
	local a = message.parseattrs(body, RTMSG_LEN + 1)
	return {family = family, dst_len = dst_len, src_len = src_len,
		tos = tos, table = message.u32(a[RTA_TABLE]) or tbl,
		protocol = protocol, scope = scope, rtype = rtype, type = rtype,
		flags = flags, dst = a[RTA_DST], gateway = a[RTA_GATEWAY],
		prefsrc = a[RTA_PREFSRC], oif = message.u32(a[RTA_OIF]),
		priority = message.u32(a[RTA_PRIORITY])}
end

local OPTS = {family = "integer", dst_len = "integer", dst = "string",
	gateway = "string", oif = "integer", table = "integer",
	protocol = "integer", scope = "integer", rtype = "integer",
	priority = "integer"}
local ADDRLEN = {[2] = 4, [10] = 16}

local function check(fn, opts)
	object.checkopts(fn, opts, OPTS)
	local family = opts.family or 2
	local len = ADDRLEN[family]
	if not len then
		object.argerror(fn, 1, "field 'family': 2 (IPv4) or 10 (IPv6) expected")
	end
	for _, k in ipairs{"dst", "gateway"} do
		if opts[k] and #opts[k] ~= len then
			object.argerror(fn, 1, "field '" .. k .. "': " .. len ..
				" address bytes expected, got " .. #opts[k])
		end
	end
	for _, k in ipairs{"dst_len", "protocol", "scope", "rtype"} do
		if opts[k] and opts[k] > 255 then
			object.argerror(fn, 1, "field '" .. k .. "': out of range")
		end
	end
	if (opts.dst_len or 0) > len * 8 then
		object.argerror(fn, 1, "field 'dst_len': at most " .. len * 8)
	end
	return family
end

local function attrs(self, opts)
	return message.attrs{[RTA_DST] = opts.dst,
		[RTA_GATEWAY] = opts.gateway, [RTA_OIF] = opts.oif,
		[RTA_PRIORITY] = opts.priority,
		[RTA_TABLE] = self:attrtable(opts.table)}
end

--- route:add(opts)
function route:add(opts)
	local family = check("add", opts)
	local header = string.pack(RTMSG, family, opts.dst_len or 0, 0, 0,
		self:headertable(opts.table or RT_TABLE_MAIN),
		opts.protocol or RTPROT_STATIC, opts.scope or RT_SCOPE_UNIVERSE,
		opts.rtype or RTN_UNICAST, 0)
	self:talk(self.NEW, NLM_F_CREATE | NLM_F_EXCL,
		header .. attrs(self, opts))
end

--- route:del(opts)
function route:del(opts)
	local family = check("del", opts)
	-- scope NOWHERE matches a route of any scope
	local header = string.pack(RTMSG, family, opts.dst_len or 0, 0, 0,
		self:headertable(opts.table or RT_TABLE_MAIN),
		opts.protocol or 0, opts.scope or RT_SCOPE_NOWHERE,
		opts.rtype or 0, 0)
	self:talk(self.DEL, 0, header .. attrs(self, opts))
end

return route
