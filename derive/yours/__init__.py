"""yours"""
