; Inno Setup 6 script (6.3 or newer, for x64compatible): installs the one-folder build (dist\intake-app) as it is.
;
;   ISCC.exe /DAppVersion=0.1.0 /DSourceDir=<repo>\dist\intake-app /O<repo>\dist ^
;            packaging\windows\intake-app.iss        (build.ps1 does this)
;
; Layout under {app} (C:\Program Files\IntakeApp) is the build's, unchanged:
;   intake-app.exe, intake-app-cli.exe, _internal\ (with intake_app\resources\, the
;   package's data, where importlib.resources finds it).
; The installer writes only program files. The data (the encrypted vault) lives in
; each Windows user's %LOCALAPPDATA%\intake-app, or wherever IT staff point
; INTAKE_APP_DATA_DIR / --data-dir; neither install, upgrade nor uninstall touches it.
; This file is saved as UTF-8 with a BOM (Japanese names).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\intake-app"
#endif
#define AppName "相談記録システム"
#define AppExe "intake-app.exe"

[Setup]
; Fixed AppId: an upgrade replaces the previous version in place. Never change it.
AppId={{6F0C3E1A-5B7D-4C55-9A43-2E8B1D7F90C4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\IntakeApp
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=intake-app-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; Close a running copy before files are replaced (Restart Manager).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"

[Tasks]
Name: "desktopicon"; Description: "デスクトップにアイコンを作る"; GroupDescription: "アイコン:"; Flags: unchecked

[InstallDelete]
; An upgrade must not run with modules left over from the previous version.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

; No [Run] entry: started from the elevated installer, the program would create its
; data folder in the administrator's profile. The first start is made from the Start
; menu by the Windows account that will use it (docs/install-ja.md, section 5).

[UninstallDelete]
; Only what the installer itself created. The data folder is never removed here:
; see docs/install-ja.md, 「アンインストールとパソコンの廃棄」.
Type: dirifempty; Name: "{app}"
