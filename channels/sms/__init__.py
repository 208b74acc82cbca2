"""SMS/MMS channel over Twilio: signed webhooks in, REST API messages out, short plain-text replies."""
