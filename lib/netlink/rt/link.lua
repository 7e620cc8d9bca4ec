-- netlink.rt.link: network interfaces (rtnetlink links).
--
--	local link <close> = require("netlink.rt.link")()
--	for _, l in ipairs(link:list()) do print(l.ifindex, l.name, l.mtu) end
--	link:set{ifindex = 3, up = true}
--
-- Records: {family, type (also ltype: the ARPHRD_ type), ifindex, flags
-- (IFF_*), change, name, mtu, address (the link-layer address's bytes)};
-- a field whose attribute the reply lacks is nil.
local object = require "netlink.rt.object"
local message = require "netlink.message"

local RTM_NEWLINK, RTM_GETLINK, RTM_SETLINK = 16, 18, 19
local IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU = 1, 3, 4
local IFF_UP = 0x1
local IFINFOMSG = "=BxI2i4I4I4"	-- family, type, index, flags, change
local IFINFO_LEN = 16

local link = object:new{GET = RTM_GETLINK, NEW = RTM_NEWLINK,
	SET = RTM_SETLINK}
link.__call = object.__call

function link:header()
	return string.pack(IFINFOMSG, 0, 0, 0, 0, 0)
end

function link:decode(body)
	local family, ltype, ifindex, flags, change =
		string.unpack(IFINFOMSG, body)
	local a = message.parseattrs(body, IFINFO_LEN + 1)
	return {family = family, type = ltype, ltype = ltype,
		ifindex = ifindex, flags = flags, change = change,
		name = message.str(a[IFLA_IFNAME]), mtu = message.u32(a[IFLA_MTU]),
		address = a[IFLA_ADDRESS]}
end

local SETOPTS = {ifindex = "integer", up = "boolean"}

--- link:set{ifindex, up}: an interface up or down
function link:set(opts)
	object.checkopts("set", opts, SETOPTS)
	if not opts.ifindex or opts.ifindex < 1 or opts.ifindex > 0x7fffffff then
		object.argerror("set", 1, "field 'ifindex': a positive integer expected")
	end
	self:talk(self.SET, 0, string.pack(IFINFOMSG, 0, 0, opts.ifindex,
		opts.up and IFF_UP or 0, IFF_UP))
end

return link
