# Notices about a possible duplicate registration across organisations.

duplicate-connect-notice = { $organisation } registered a case that may concern the same person as your case { $code }. To compare and agree on the next steps, contact their coordinators: { $coordinators }.
duplicate-connect-no-coordinator = no coordinator on record; contact the organisation directly
