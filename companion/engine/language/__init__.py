"""Language-aware matching: word forms, token classes, token patterns and assertion cues (EN, BG)."""
