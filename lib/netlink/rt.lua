-- netlink.rt: the rtnetlink classes, as upstream's namespace.
--
--	local rt = require "netlink.rt"
--	local route <close> = rt.route()	-- also rt.link(), rt.addr(),
--	route:list(2)				-- rt.rule()
--
-- See netlink.rt.route, .link, .addr and .rule; each call opens a
-- NETLINK_ROUTE session of its own (close it, or use <close>).
return {
	object = require "netlink.rt.object",
	route = require "netlink.rt.route",
	link = require "netlink.rt.link",
	addr = require "netlink.rt.addr",
	rule = require "netlink.rt.rule",
}
