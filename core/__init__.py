"""What every layer shares and nothing else: errors, the Caller identity, the Policy, units and money
formatting, identifier check digits. Imports nothing from the project's other packages."""
