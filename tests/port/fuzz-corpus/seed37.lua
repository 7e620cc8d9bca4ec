   b"
