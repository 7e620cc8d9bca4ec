return utf8.char(72, 228, 8364, 128512), utf8.len("äö")
