"""site/content"""
