/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const HELP = `second-opinion — the command-line companion of Second Opinion

Usage: second-opinion [--vault DIR] [--json] COMMAND [ARGS]

Global options:
  --vault DIR   the vault folder (default: $SECOND_OPINION_VAULT, else the app's vault)
  --json        machine-readable output on stdout

Commands:
  init --patient-name NAME --birth-date YYYY-MM-DD [--sex female|male|other|unknown]
                create a vault; prints the recovery key once
  status        whether the vault exists and what it holds
  verify        check the database and every stored file (exit 4 when damage is found)
  passwd        change the passphrase (proof: SECOND_OPINION_PASSPHRASE or SECOND_OPINION_RECOVERY_KEY)
  backup FILE   write an encrypted backup of the whole vault to FILE
  restore FILE  restore a backup into the (empty) vault folder
  import PATH... [--accept-other-patient]
                            import documents (PDF, JPEG, PNG, TIFF, folders) and imaging discs (folder, .iso,
                            .zip); exit 4 if a file failed or a disc names someone else (nothing imported then)
  studies                   imaging: patients → studies → series with counts
  list [--type TYPE]        documents, newest first
  search QUERY              full-text search with snippets
  show ID                   a document's details and text
  extract ID --out FILE     write the original file, byte for byte
  opinion schema            the JSON Schema of an opinion
  opinion add FILE.json     record an opinion (exit 4 with the reasons when invalid); prints its id
  opinion list | show ID    recorded opinions
  compare ID ID [ID ID]     opinions side by side, the summary and questions (--pdf FILE writes a PDF;
                            --to-records keeps it with the records, for a packet)
  export --out PATH [--format folder|zip|iso] [--profile cd|dvd|usb] [--recipient NAME] [--reason TEXT]
         [--all | --documents ID,... --studies UID,...]
                            build the packet for a second-opinion office; exit 0 only when it was written
                            completely and passed its own check (4: images do not fit the profile, damaged input)
  packets                   what was sent to whom, and when
  appointment schema        the JSON Schema of an appointment
  appointment add FILE.json record an appointment (exit 4 with the reasons when invalid); prints its id
  appointment list | show ID      appointments; show gives the checklist with statuses and what is missing
  appointment sheet ID --out FILE.pdf   the printable preparation sheet

Secrets are never taken from the command line:
  SECOND_OPINION_PASSPHRASE      the passphrase (else you are asked, without echo)
  SECOND_OPINION_RECOVERY_KEY    unlock with the recovery key instead
  SECOND_OPINION_NEW_PASSPHRASE  the new passphrase for init and passwd (else you are asked twice)

Exit codes: 0 success, 1 failure, 2 usage error, 3 wrong passphrase or recovery key,
            4 invalid or damaged input (e.g. verify found damage).
`;
