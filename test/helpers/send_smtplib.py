#!/usr/bin/python3
"""Sends one mail with Python's smtplib over STARTTLS + AUTH and prints the server's reply to DATA.

usage: send_smtplib.py PORT USERNAME PASSWORD FROM TO MESSAGE_FILE
"""
import smtplib
import ssl
import sys

port, username, password, sender, recipient, path = sys.argv[1:7]
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE  # the relay's certificate is self-signed

with smtplib.SMTP('127.0.0.1', int(port), timeout=60) as smtp:
    smtp.ehlo('smtplib.test')
    smtp.starttls(context=context)
    smtp.ehlo('smtplib.test')
    smtp.login(username, password)
    smtp.mail(sender)
    smtp.rcpt(recipient)
    code, reply = smtp.data(open(path, 'rb').read())
    print(code, reply.decode())
