# One entry per released version: its date (YYYY-MM-DD) and its notes, as
# AppStream <description> markup (<p>, <ul>/<li>). The metainfo's <release> is
# made from the entry of the project's version, so bumping project(VERSION)
# without adding an entry here stops the configure step.
set(GLS_RELEASE_DATE_0.1.0 "2026-11-28")
set(GLS_RELEASE_NOTES_0.1.0 [=[<p>The first release.</p>
          <ul>
            <li>Desktop app: the stream sessions of one or several Regions, the export dialog, every export remembered and followed across restarts, archives downloaded by themselves and opened in the archive browser.</li>
            <li>gls-exporter-cli: list stream groups and sessions, export a session's files and wait for the archive, download, presign, terminate, the export history and safe archive extraction.</li>
            <li>Credentials in the desktop keychain, the environment and the AWS files (static keys, credential_process, role_arn, SSO).</li>
            <li>System-wide defaults for administrators in /etc/xdg/gls-exporter/profiles.conf.</li>
          </ul>]=])
