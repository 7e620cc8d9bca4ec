-- netlink.nl80211: upstream's wireless classes (wiphy, interface, ap,
-- station) are not supported by this implementation yet.
error("netlink.nl80211: not supported", 0)
