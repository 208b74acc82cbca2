"""Demo-world seed data and its loader."""
