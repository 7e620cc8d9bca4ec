local a <const> = 1 local b <close> = nil return a
