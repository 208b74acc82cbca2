"""Email: notifications sent by SMTP (standard library), one MIME message per notice."""
