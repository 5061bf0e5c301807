"""The help desk: staff take over a conversation the assistant handed off, answer on the citizen's own
channel, and hand it back. Tickets and staff live in the gateway's Redis; the console is at /helpdesk."""
