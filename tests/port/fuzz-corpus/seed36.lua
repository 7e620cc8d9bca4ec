return #"\u{10FFFF}\x41\65\z
