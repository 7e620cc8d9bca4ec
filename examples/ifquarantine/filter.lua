-- ifquarantine's filter: drops what a quarantined device receives or
-- sends (examples/ifquarantine/control runs it, per CPU, in softirq, and
-- hands it the rcu table of quarantined ifindexes).
local netfilter = require "netfilter"
local nf = require "linux.nf"

local quarantined	-- set by control, through resume

local function verdict(skb)
	local ifindex = skb:ifindex()
	if quarantined and ifindex and quarantined[tostring(ifindex)] then
		return nf.action.DROP
	end
	return nf.action.ACCEPT
end

for _, hooknum in ipairs{nf.inet.PRE_ROUTING, nf.inet.POST_ROUTING} do
	netfilter.register{hook = verdict, pf = nf.proto.INET,
		hooknum = hooknum, priority = nf.ip.pri.RAW, mark = false}
end

return function (table)
	quarantined = table
end
