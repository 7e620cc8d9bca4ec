return tonumber("0x1F"), tonumber("z", 36), tonumber("1e2")
