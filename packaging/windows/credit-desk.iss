; Inno Setup 6 script for the Credit Desk (信用监管工作台) Windows installer.
;
; Input: the PyInstaller one-folder build made ON WINDOWS (PyInstaller does not cross-compile):
;     py -3.11 -m venv .venv && .venv\Scripts\pip install -e .[build]
;     .venv\Scripts\python scripts\build_translations.py
;     .venv\Scripts\pyinstaller --noconfirm build.spec        -> dist\credit-desk\
; Then:
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\credit-desk.iss
; Output: dist\credit-desk-<version>-setup.exe
;
; Per-machine install under Program Files, a Start-menu entry named in Chinese, an optional
; desktop icon, a clean uninstaller. The user's data (%LOCALAPPDATA%\credit-desk) is NOT
; removed on uninstall: it holds the encrypted store with records that may not be synced yet.
; See packaging/windows/README.md for what was and was not tested.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "信用监管工作台"
#define AppExe "credit-desk.exe"

[Setup]
AppId={{6F1C2D3E-8B7A-4C55-9E21-CD0A5E7B1F42}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=长治市信用监管工作台项目组
DefaultDirName={autopf}\CreditDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=credit-desk-{#AppVersion}-setup
SetupIconFile=credit-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The client refuses to start twice on one profile; make the installer wait for it to close.
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\credit-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
