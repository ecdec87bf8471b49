"""One package per platform: routes (URL table), screens (one handler per screen), templates."""
