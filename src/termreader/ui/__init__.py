"""The Textual reading app; everything here may import textual, nothing in the core may."""
