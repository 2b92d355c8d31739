import WabaformCLI

await WabaformMain.main()
