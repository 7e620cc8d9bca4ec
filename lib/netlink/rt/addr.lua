-- netlink.rt.addr: interface addresses.
--
--	local addr <close> = require("netlink.rt.addr")()
--	for _, a in ipairs(addr:list(2)) do print(a.ifindex, a.prefixlen) end
--
-- Records: {family, prefixlen (also prefix_len), scope, ifindex,
-- address, peer, label}: address is the interface's own (IFA_LOCAL, else
-- IFA_ADDRESS), peer the other end of a point-to-point address (nil
-- otherwise), both as bytes in network byte order.
local object = require "netlink.rt.object"
local message = require "netlink.message"

local RTM_NEWADDR, RTM_GETADDR = 20, 22
local IFA_ADDRESS, IFA_LOCAL, IFA_LABEL = 1, 2, 3
local IFADDRMSG = "=BBBBI4"	-- family, prefixlen, flags, scope, index
local IFADDR_LEN = 8

local addr = object:new{GET = RTM_GETADDR, NEW = RTM_NEWADDR}
addr.__call = object.__call

function addr:header(family)
	return string.pack(IFADDRMSG, family or 0, 0, 0, 0, 0)
end

function addr:decode(body)
	local family, prefixlen, flags, scope, ifindex =
		string.unpack(IFADDRMSG, body)
	local a = message.parseattrs(body, IFADDR_LEN + 1)
	local peer = a[IFA_ADDRESS]
	local address = a[IFA_LOCAL] or peer
	return {family = family, prefixlen = prefixlen,
		prefix_len = prefixlen, flags = flags, scope = scope,
		ifindex = ifindex, address = address,
		peer = peer ~= address and peer or nil,
		label = message.str(a[IFA_LABEL])}
end

return addr
