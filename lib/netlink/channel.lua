-- netlink.channel: the channels of the netlink binding, by upstream's
-- name: require("netlink.channel").new(name) is netlink.channel(name).
return require("netlink").channel
