; Inno Setup script: turns the one-folder build (dist\x2desk\) into x2desk-<version>-setup.exe.
; Build on Windows after `pyinstaller build.spec`:
;   iscc /DAppVersion=0.1.0 packaging\windows\x2desk.iss
; (packaging\windows\build-installer.ps1 reads the version from the package and does both.)
; Per-user install by default (no admin prompt); the user may choose all users instead.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "x2desk"
#define Root "..\.."

[Setup]
AppId={{6B0E3C1A-8F2D-4B7E-9A51-2D7C4E9F1A30}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=x2desk
VersionInfoVersion={#AppVersion}
VersionInfoDescription=x2desk onboarding wizard setup
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile={#Root}\resources\x2desk.ico
UninstallDisplayIcon={app}\x2desk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An update replaces the whole app folder so no stale library survives.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Root}\dist\x2desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\x2desk.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\x2desk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\x2desk.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
