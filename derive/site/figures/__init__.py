"""The site's figures: static SVG drawn at build time, and the interactive figures that enhance some of them."""
