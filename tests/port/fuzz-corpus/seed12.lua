return string.unpack("<i2 >I4", "\1\0\0\0\0\2")
